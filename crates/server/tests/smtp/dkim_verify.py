"""An independent DKIM verifier for the outbound mail tests: dkimpy (PyPI), in the same virtual
environment as aiosmtpd (scripts/test installs both).

Usage: dkim_verify.py MESSAGE.eml SELECTOR DOMAIN "v=DKIM1; k=rsa; p=..."
The public key is handed to dkimpy through its `dnsfunc` (no DNS is asked): a lookup of any
other name than SELECTOR._domainkey.DOMAIN finds nothing. Prints one line, "pass" or
"fail <reason>", and exits 0 either way (the test decides); 2 for bad usage.
"""

import sys

import dkim

if len(sys.argv) != 5:
    print("usage: dkim_verify.py MESSAGE.eml SELECTOR DOMAIN TXT", file=sys.stderr)
    sys.exit(2)
path, selector, domain, txt = sys.argv[1:]
want = f"{selector}._domainkey.{domain}".lower()
asked = []


def dnsfunc(name, timeout=5):
    if isinstance(name, bytes):
        name = name.decode()
    asked.append(name)
    if name.rstrip(".").lower() == want:
        return txt.encode()
    return None


with open(path, "rb") as f:
    message = f.read()
verifier = dkim.DKIM(message)
try:
    ok = verifier.verify(dnsfunc=dnsfunc)
except dkim.DKIMException as e:
    print(f"fail {e}")
    sys.exit(0)
if ok:
    print("pass")
else:
    print(f"fail: no valid signature (asked DNS for {asked})")
