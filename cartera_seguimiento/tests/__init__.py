from . import test_install
from . import test_followup
from . import test_ar_report
from . import test_closing
from . import test_report_wizards
from . import test_reliability
from . import test_i18n
from . import test_digest
