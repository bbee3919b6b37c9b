"""Push published govdisclose records to an external CMS over HTTP.

`WebhookPublisher` is a `govdisclose.adapters.Publisher`: it POSTs the record as JSON with an
idempotency key and an optional HMAC signature, retries transient failures with exponential
backoff, and raises `WebhookError` when the CMS did not take the record, so that
`govdisclose.publishing.publish` records nothing for this channel.
"""

from govdisclose_webhook.publisher import (
    SIGNATURE_HEADER,
    WebhookError,
    WebhookPublisher,
    idempotency_key,
    make_opener,
    sign,
)

__all__ = [
    "SIGNATURE_HEADER",
    "WebhookError",
    "WebhookPublisher",
    "idempotency_key",
    "make_opener",
    "sign",
]
