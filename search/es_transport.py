"""Transport node that speaks plain ``application/json``.

elasticsearch-py sends ``application/vnd.elasticsearch+json; compatible-with=9``; OpenSearch-
compatible servers (and some proxies) reject that media type. Selected with
``ElasticsearchConfig.plain_json``; passed to the client as ``node_class``.
"""

from __future__ import annotations

import re
from typing import Any

from elastic_transport import HttpHeaders, Urllib3HttpNode
from elastic_transport._node import NodeApiResponse

_COMPAT = re.compile(r"application/vnd\.elasticsearch\+([a-z-]+)(;\s*compatible-with=\d+)?")


def plain_mimetype(value: str) -> str:
    """application/vnd.elasticsearch+x-ndjson; compatible-with=9 -> application/x-ndjson"""
    return _COMPAT.sub(lambda m: f"application/{m.group(1)}", value)


class PlainJsonHttpNode(Urllib3HttpNode):
    """Urllib3HttpNode that rewrites the compatible-with media types to plain ones."""

    def perform_request(
        self, method: str, target: str, body: bytes | None = None, headers: HttpHeaders | None = None,
        **kwargs: Any,
    ) -> NodeApiResponse:
        if headers is not None:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = plain_mimetype(headers[name])
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)
