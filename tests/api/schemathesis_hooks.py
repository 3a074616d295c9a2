"""Schemathesis hooks for tests/api/schemathesis.test.ts (loaded through SCHEMATHESIS_HOOKS).

A real client sends a fresh Idempotency-Key with every distinct request; generated keys
("0", "A") collide across unrelated bodies and would only ever test the 422 for a reused
key (tests/api/hardening.http.test.ts and cascade.http.test.ts test replays and reuse).
A well-formed generated key is made unique, so the requests reach the operation itself;
a malformed one is left alone, so that its rejection is still checked.
"""
import re
import uuid

import schemathesis

KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


def _probes_another_header(case):
    """A coverage case about another header (a missing Authorization, say): left exactly as
    drawn, since editing its headers makes schemathesis re-derive what the case is about."""
    data = getattr(getattr(getattr(case, "meta", None), "phase", None), "data", None)
    location = getattr(data, "parameter_location", None)
    if location is None or str(getattr(location, "value", location)).lower() != "header":
        return False
    return str(getattr(data, "parameter", "") or "").lower() != "idempotency-key"


@schemathesis.hook
def before_call(context, case, kwargs):
    if _probes_another_header(case):
        return
    headers = case.headers
    if not headers:
        return
    for name in list(headers):
        if name.lower() == "idempotency-key" and isinstance(headers[name], str) and KEY.match(headers[name]):
            headers[name] = f"{headers[name][:160]}-{uuid.uuid4().hex}"
