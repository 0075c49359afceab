from . import cartera_closing_wizard
from . import cartera_report_wizard
from . import cartera_followup_report_wizard
from . import cartera_task_report_wizard
from . import cartera_aging_report_wizard
from . import cartera_movement_report_wizard
from . import cartera_history_report_wizard
from . import cartera_promise_report_wizard
from . import cartera_kpi_report_wizard
from . import cartera_statement_wizard
from . import cartera_dispute_report_wizard
from . import cartera_dunning_report_wizard
from . import cartera_dunning_run_wizard
# issue 26: Informe de vencimientos legales (H3).
from . import cartera_legal_calendar_report_wizard
# Issue 27: the receivables impairment (H4).
from . import cartera_impairment_entry_wizard
from . import cartera_impairment_report_wizard
# Issue 26 (H2).
from . import cartera_interest_report_wizard
from . import cartera_interest_billing_wizard
