from . import cartera_followup_type
from . import cartera_followup
from . import res_partner
from . import account_invoice
from . import mail_activity
from . import cartera_ar_report
