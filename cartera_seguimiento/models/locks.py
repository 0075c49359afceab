# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Locks taken without waiting (``FOR UPDATE NOWAIT``), shared by the
closing, the daily digest and the statement runs: a second worker or user
on the same rows stops at once rather than queueing behind the first."""
import psycopg2
from psycopg2 import errorcodes

# Another transaction holds the row.
LOCK_NOT_AVAILABLE = errorcodes.LOCK_NOT_AVAILABLE
# Another transaction holds the lock, or the row changed since this one
# began: a worker that only claims work (digest, statement run) leaves it
# to the other one in both cases.
CLAIM_TAKEN = (errorcodes.LOCK_NOT_AVAILABLE,
               errorcodes.SERIALIZATION_FAILURE)


def claim_taken(error):
    """Whether ``error`` says that another worker has the claimed rows."""
    return isinstance(error, psycopg2.OperationalError) and \
        error.pgcode in CLAIM_TAKEN
