"""The dashboard at `/_sandbox/ui`: watch and drive the sandbox from a browser (issue 21).

Server-rendered pages (Jinja2, loaded on first use) with a little plain JavaScript and CSS
shipped in this package; live updates by server-sent events. It reads what the control plane
reads and acts only through the `/_sandbox/...` JSON endpoints, so it knows no provider, and it
adds nothing to a provider request's path (no middleware; its routes come after theirs).
"""
