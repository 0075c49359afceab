# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Locks taken without waiting (``FOR UPDATE NOWAIT`` or ``SKIP LOCKED``),
shared by the closing, the daily digest, the statement runs and the broken
promises' notifications: a second worker or user on the same rows stops at
once rather than queueing behind the first."""
from contextlib import contextmanager

import psycopg2
from psycopg2 import errorcodes

# Another transaction holds the row.
LOCK_NOT_AVAILABLE = errorcodes.LOCK_NOT_AVAILABLE
# Another transaction holds the lock, or the row changed since this one
# began: a worker that only claims work (digest, statement run) leaves it
# to the other one in both cases.
CLAIM_TAKEN = (errorcodes.LOCK_NOT_AVAILABLE,
               errorcodes.SERIALIZATION_FAILURE)


def claim_taken(error, taken=CLAIM_TAKEN):
    """Whether ``error`` says that another worker has the claimed rows."""
    return isinstance(error, psycopg2.OperationalError) and \
        error.pgcode in taken


@contextmanager
def claim(cr, query, params=None, taken=CLAIM_TAKEN):
    """Claim the rows that ``query`` (a ``SELECT ... FOR UPDATE NOWAIT``)
    selects, without waiting; the ``with`` body gets the query's result,
    or None when another transaction has the rows::

        with locks.claim(cr, query, params) as rows:
            if rows is None:
                return False  # someone else has them
            ...

    ``taken``: the errors that mean "someone else has them"; by default
    a lock held (LOCK_NOT_AVAILABLE) and a row changed since this
    transaction began (SERIALIZATION_FAILURE). Any other error goes up.
    The claim and the body share one savepoint: a body that fails leaves
    neither its writes nor the locks. The locks that succeed are kept
    until the transaction ends."""
    if hasattr(query, "as_string"):
        query = query.as_string(cr._obj)
    with cr.savepoint():
        try:
            with cr.savepoint():
                cr.execute(query, params, log_exceptions=False)
                rows = cr.fetchall()
        except psycopg2.OperationalError as error:
            if not claim_taken(error, taken):
                raise
            rows = None
        yield rows


def wake_cron(env, xmlid):
    """Bring a cron's next call to now, so that a cron worker runs it at
    its next poll instead of at its interval (Odoo 11 has no trigger). A
    cron being run is locked by its worker: then it is left alone (it
    comes back by itself), rather than waiting for the lock in the user's
    request."""
    cron = env.ref(xmlid, raise_if_not_found=False)
    if not cron:
        return
    env.cr.execute("""
        UPDATE ir_cron SET nextcall = now() at time zone 'UTC'
         WHERE id IN (SELECT id FROM ir_cron WHERE id = %s AND active
                      FOR UPDATE SKIP LOCKED)
           AND nextcall > now() at time zone 'UTC'
    """, (cron.id,))
