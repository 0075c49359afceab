from . import cartera_closing_wizard
from . import cartera_report_wizard
from . import cartera_followup_report_wizard
from . import cartera_task_report_wizard
from . import cartera_aging_report_wizard
from . import cartera_movement_report_wizard
from . import cartera_history_report_wizard
from . import cartera_promise_report_wizard
