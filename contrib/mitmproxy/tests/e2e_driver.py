"""Drives the end-to-end test inside mitmdump, which takes no typed commands: when the phone
request's answer arrives, it runs `wxdecrypt.set` on a copy of the flow and replays it
(`replay.client`; a live flow cannot be replayed), as a tester would in the console. When the
replay's answer has been through every add-on (this one runs last), it writes E2E_DONE."""

import os

from mitmproxy import ctx, http


class Driver:
    def response(self, f: http.HTTPFlow) -> None:
        if f.is_replay:
            with open(os.environ["E2E_DONE"], "w") as done:
                done.write(f.comment)
            return
        if f.request.path.startswith("/phone"):
            copy = f.copy()
            ctx.master.commands.call("wxdecrypt.set", [copy], os.environ["E2E_SET"])
            ctx.master.commands.call("replay.client", [copy])


addons = [Driver()]
