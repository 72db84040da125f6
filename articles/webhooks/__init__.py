"""Webhooks: partners' endpoints hear about story events, signed, retried, off the request.

``signal_handlers`` turns ``story_changed`` into a task; ``tasks`` fans each event out to the
endpoints that want it and delivers each one (``delivery``), signed with ``signing`` and only to
addresses ``addresses`` allows.
"""
