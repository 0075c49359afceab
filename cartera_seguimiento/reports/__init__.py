from . import cartera_report_qweb
from . import cartera_report_xlsx
from . import cartera_report_models
from . import report_statement
from . import report_dunning
# Issue 26 (H2).
from . import report_interest_blocks
