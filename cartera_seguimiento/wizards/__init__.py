
from . import cartera_closing_wizard
