"""Push published govdisclose records to an external CMS over HTTP.

`WebhookPublisher` is a `govdisclose.publishing.Publisher` and `Withdrawer`: it POSTs the
cleared `govdisclose.public.PublicRecord` as JSON with an idempotency key and an optional HMAC
signature, retries transient failures with exponential backoff within a deadline per attempt,
and raises `WebhookError` when the CMS did not confirm, so that `govdisclose.publishing.publish`
records nothing for this channel. `WebhookPublisher.withdraw` asks the CMS to take a
publication down again the same way. For `govdisclose.outbox` it is a ``KeyedPublisher`` and
``KeyedWithdrawer`` (`WebhookPublisher.publish_with_key`, `WebhookPublisher.withdraw_with_key`):
the outbox entry's key is the ``Idempotency-Key`` of every attempt.
"""

from govdisclose_webhook.publisher import (
    MAX_RESPONSE,
    SIGNATURE_HEADER,
    Action,
    WebhookError,
    WebhookPublisher,
    idempotency_key,
    make_opener,
    sign,
)

__all__ = [
    "MAX_RESPONSE",
    "SIGNATURE_HEADER",
    "Action",
    "WebhookError",
    "WebhookPublisher",
    "idempotency_key",
    "make_opener",
    "sign",
]
