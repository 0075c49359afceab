from . import cartera_report_qweb
from . import cartera_report_xlsx
from . import report_followup
from . import report_task
from . import report_aging
from . import report_movement
from . import report_history
from . import report_promise
