"""Django's PostgreSQL backend, with a health check that needs no round trip while all is well.

With persistent connections and health checks on, Django sends `SELECT 1` before the first query
of every request: on the survey page that is one round trip of three. An idle connection has
nothing to read unless the server has written to it, and a server that goes away (a restart, a
terminated backend, a crash) writes its goodbye or closes the socket. So a connection with
nothing to read is usable; one with something waiting gets Django's own `SELECT 1` check, which
then replaces it if it is dead. A request never fails because the server went away in between.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status == connection.info.transaction_status.IDLE:
            waiting = select.poll()
            waiting.register(connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
            if not waiting.poll(0):
                return True
        return bool(super().is_usable())
