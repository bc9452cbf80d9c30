"""Everything that talks to the terminal: Rich renderables (:mod:`.render`, :mod:`.screens`,
:mod:`.contacts`, :mod:`.richtext`), the console (:mod:`.console`), questionary prompts
(:mod:`.prompts`) and the interactive loops of ``run`` and ``drill run`` (:mod:`.walk`,
:mod:`.drill`).

The only package that imports rich or questionary (a lint rule holds this line). Its
modules are imported by the commands that need them, never at start-up. :mod:`.lines`
imports neither: it lays referral listings out as lines, and writes them as text where
Rich is not needed (``crisisguide now | cat``).
"""
