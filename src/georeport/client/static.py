"""An in-process transport that answers from a table: for tests, docs, and offline replays.

It is a real ``Transport`` (nothing is patched): it keeps every request it
was sent, answers each from its table by method and URL (with or without
the query string), and raises ``TransportError`` for a request it has no
answer for. Answers may be a list, given out in turn (the last one
repeats), to script a 500-then-200 or a token that becomes an id.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from georeport.client.errors import TransportError
from georeport.client.sansio import HttpRequest, HttpResponse

__all__ = ["StaticTransport"]

Answer = HttpResponse | bytes | str
Table = Mapping[str, Answer | Sequence[Answer]]


def _response(answer: Answer) -> HttpResponse:
    if isinstance(answer, HttpResponse):
        return answer
    return HttpResponse(200, body=answer.encode() if isinstance(answer, str) else answer)


class StaticTransport:
    """Answer requests from a table keyed ``"METHOD URL"``; a key without ``?`` matches any query.

    A plain ``bytes``/``str`` answer is a 200 with that body.

    Examples:
        >>> transport = StaticTransport({"GET https://city.gov/v2/services.json": '[{"service_code": "1"}]'})
        >>> transport.send(HttpRequest("GET", "https://city.gov/v2/services.json?jurisdiction_id=c"), timeout=1).body
        b'[{"service_code": "1"}]'
        >>> [request.url for request in transport.requests]
        ['https://city.gov/v2/services.json?jurisdiction_id=c']
        >>> transport.send(HttpRequest("GET", "https://city.gov/v2/requests.json"), timeout=1)
        Traceback (most recent call last):
        ...
        georeport.client.errors.TransportError: GET https://city.gov/v2/requests.json failed after 1 attempt(s): no answer in the table for GET https://city.gov/v2/requests.json
    """

    def __init__(self, answers: Table) -> None:
        self._answers: dict[str, list[HttpResponse]] = {}
        for key, value in answers.items():
            method, _, url = key.partition(" ")
            if not url:
                raise TransportError(f"table keys are 'METHOD URL' (got {key!r})")
            items = [value] if isinstance(value, HttpResponse | bytes | str) else list(value)
            self._answers[f"{method.upper()} {url}"] = [_response(item) for item in items]
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self.requests: list[HttpRequest] = []
        """Every request sent, in order."""

    def send(self, request: HttpRequest, *, timeout: float | None) -> HttpResponse:  # noqa: ARG002 - nothing waits
        """The table's answer for ``request`` (the next of a list).

        Raises:
            TransportError: the table has no answer for it.
        """
        parts = urlsplit(request.url)
        bare = parts._replace(query="", fragment="").geturl()
        with self._lock:
            self.requests.append(request)
            for key in (f"{request.method.upper()} {request.url}", f"{request.method.upper()} {bare}"):
                answers = self._answers.get(key)
                if answers:
                    served = self._served.get(key, 0)
                    self._served[key] = served + 1
                    return answers[min(served, len(answers) - 1)]
        raise TransportError(f"no answer in the table for {request.method} {request.url}", request=request)
