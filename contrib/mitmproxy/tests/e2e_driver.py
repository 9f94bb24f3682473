"""Drives the end-to-end test inside mitmdump, which takes no typed commands: when the phone
request's answer arrives, it runs `wxdecrypt.set` on a copy of the flow and replays it
(`replay.client`; a live flow cannot be replayed), as a tester would in the console."""

import os

from mitmproxy import ctx, http


class Driver:
    def response(self, f: http.HTTPFlow) -> None:
        if f.request.path.startswith("/phone") and not f.is_replay:
            copy = f.copy()
            ctx.master.commands.call("wxdecrypt.set", [copy], os.environ["E2E_SET"])
            ctx.master.commands.call("replay.client", [copy])


addons = [Driver()]
