# cartera_followup before cartera_followup_type: the field cartera.followup
# type_id and the field cartera.followup.type id share the xml id
# field_cartera_followup_type_id; whichever comes second gets a suffix that
# differs per database, and its translation would not load.
from . import cartera_scope
from . import cartera_followup
from . import cartera_followup_constraints
from . import cartera_followup_task
from . import cartera_followup_seal
from . import cartera_followup_type
from . import cartera_followup_stats_mixin
from . import res_partner
from . import account_invoice
from . import account_move
from . import mail_activity
from . import mail_message
from . import mail_followers
from . import ir_attachment
from . import cartera_closing
from . import cartera_promise
from . import cartera_promise_evaluation
from . import cartera_promise_notice
from . import cartera_digest
from . import res_company
from . import res_config_settings
from . import cartera_ar_report
from . import cartera_ar_report_aging
from . import cartera_ar_report_movement
from . import cartera_ar_report_statement
from . import cartera_ar_report_history
from . import cartera_followup_listing
from . import cartera_ar_report_promises
from . import cartera_ar_report_kpis
from . import cartera_kpi_month
# What the statement and collection runs share.
from . import cartera_run_mixin
from . import cartera_statement_run
from . import cartera_statement_run_line
from . import cartera_statement_render
from . import cartera_statement_send
from . import cartera_statement_mail
from . import mail_mail
from . import cartera_promise_notify
# Collection plans, runs and disputes. The agenda's view reads the
# collection lines and disputes: its model comes after theirs (tables are
# created in this order).
from . import cartera_dunning_plan
from . import cartera_dunning_level
from . import cartera_dunning_run
from . import cartera_dunning_line
from . import cartera_dispute
from . import cartera_dispute_resolve
from . import cartera_dunning_selection
from . import cartera_dunning_line_actions
from . import cartera_dunning_send
from . import cartera_dunning_communication
from . import cartera_dunning_letter
from . import cartera_dunning_screens
from . import cartera_ar_report_disputes
from . import cartera_ar_report_dunning
# issue 26: each item's legal calendar (H3).
from . import cartera_legal_calendar
from . import cartera_agenda
# issue 26: the legal calendar on the invoice, customer and agenda (H3).
from . import cartera_legal_calendar_screens
# Issue 26: billing the late-payment interest, its blocks in the
# statements and letters (H2).
from . import cartera_interest_billing
from . import cartera_interest_blocks
# issue 26: late-payment interest (the rates, then the engine).
from . import cartera_interest_rate
from . import cartera_ar_report_interest
# Issue 27: the receivables impairment (H4).
from . import cartera_impairment
from . import cartera_ar_report_impairment
from . import cartera_impairment_cutoff
