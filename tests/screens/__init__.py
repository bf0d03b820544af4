"""The README's phone pictures: real messages rendered like a Telegram chat at 360 px.

`make screens` (python -m tests.screens) plays each screen through the real application and
the emulator, writes its HTML's hash and its PNG under docs/img/screens/; the tests check
that the hashes match what the bot sends today and that the pipeline itself works.
"""
