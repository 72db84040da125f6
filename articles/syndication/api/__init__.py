"""The read-only content API under ``/api/v1/`` (docs/api.md).

``serializers`` say what each object carries, ``views`` which rows (always through
``articles.visibility``), ``filters`` the story filters, ``pagination`` the keyset cursor,
``keys`` API keys and rate limits, ``partner_feed`` the ninjs change feed.
"""
