"""The transactional outbox: every email the site sends, from decision to delivery.

``backend.OutboxEmailBackend`` is Django's ``EMAIL_BACKEND``, so ``send_mail``,
Wagtail's notifications and our own templated emails all write a row here in the
caller's transaction; ``delivery`` hands rows to the real backend from Celery.
"""
