"""Every validation code in one place: its id, severity, one-line meaning and explanation.

Every :class:`~crisisguide.errors.Problem` is made from a :class:`Code` (``Code.NOT_A_NODE``,
never the string ``"CG110"``), so a code's severity cannot differ from one check to the
next. The table of codes in docs/format.md is generated from this registry
(``python tools/codes.py``; a test fails when it is stale), and
``crisisguide validate --explain CODE`` prints a code's explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class CodeInfo:
    id: str
    severity: Severity
    summary: str
    """One line: what the problem is (the docs table's "problem" column)."""
    explanation: str
    """A paragraph: why it matters and how to fix it (``validate --explain``)."""


_E, _W = Severity.ERROR, Severity.WARNING


class Code(Enum):
    """The validation codes, in order. Each value is a :class:`CodeInfo`."""

    BAD_YAML = CodeInfo(
        "CG100", _E,
        "YAML syntax error, or the file is empty, not UTF-8, not a mapping, or cannot be read",
        "The file could not be read as one YAML mapping. The message gives the parser's "
        "reason at the line and column where it noticed the mistake; the mistake itself is "
        "often on the line before (a missing colon, a tab, a wrong indent). An empty file, a "
        "file holding only comments, bytes that are not UTF-8, a second YAML document (---) "
        "and a file that is a list or bare text are all CG100: one protocol, drill or "
        "directory per file, as a mapping of keys.",
    )  # fmt: skip
    DUPLICATE_KEY = CodeInfo(
        "CG101", _E,
        "duplicate key in a mapping",
        "A key appears twice in the same mapping. YAML parsers usually keep the last value "
        "silently, which would change a protocol without anyone noticing, so crisisguide "
        "refuses it. The message names the line of the first definition: keep one.",
    )  # fmt: skip
    MISSING_KEY = CodeInfo(
        "CG102", _E,
        "missing required key (also: a file that is neither protocol, drill nor directory)",
        "A key the format requires is missing (for example a question without 'answers', "
        "an outcome without 'steps', a drill's client line for a question without 'says'). "
        "A file in a checked folder with none of 'nodes', 'client' or 'entries' is also "
        "CG102: crisisguide cannot tell whether it is a protocol, a drill or a referral "
        "directory.",
    )  # fmt: skip
    UNKNOWN_KEY = CodeInfo(
        "CG103", _E,
        'unknown key (with "did you mean", or the list of allowed keys)',
        "A key the format does not know, usually a typo ('promt' for 'prompt'). Unknown keys "
        "are errors so that a misspelt key is never silently ignored. Keys starting with "
        "'x-' are allowed anywhere and ignored: use them for your own notes or tooling.",
    )  # fmt: skip
    BAD_VALUE = CodeInfo(
        "CG104", _E,
        "wrong type or bad value (bad id, bad semver, empty list, unknown node kind, a "
        "condition with two forms, a flag no answer sets, an `answered` label the node does "
        "not have, a tier listed twice in the scale)",
        "A value has the wrong type or shape: text where a list is expected, an id with "
        "capitals or spaces, a version that is not semantic (1.2 instead of 1.2.0), an empty "
        "list, an unknown node kind, a route condition with two forms at once, a flag that a "
        "route tests but no answer or item ever sets (so the condition can never hold), an "
        "'answered' label the node does not offer, a YAML tag that would build an object. "
        "The message says what was expected.",
    )  # fmt: skip
    TOO_LARGE = CodeInfo(
        "CG105", _E,
        "file too large, nested too deeply, too many aliases or nodes",
        "The file is over one of the safety limits: 1 MiB, 64 levels of nesting, 256 alias "
        "expansions or 1,000,000 YAML nodes. The limits stop a hostile or broken file (an "
        "'alias bomb') from using unbounded time or memory. A real protocol is far below "
        "them; split a huge one into several protocols linked by follow_up.",
    )  # fmt: skip
    NOT_A_NODE = CodeInfo(
        "CG110", _E,
        "`start`, `next`, `default`, a route target or an `answered` node is not a node",
        "A reference to a node that does not exist, usually a typo; the message suggests the "
        "closest node id. In an answers file or a drill, a node id the protocol does not "
        "have, or an expected outcome that is not one of its outcomes, is CG110 too.",
    )  # fmt: skip
    UNKNOWN_TIER = CodeInfo(
        "CG111", _E,
        "a tier that is not on the protocol's scale",
        "An answer, checklist item, route condition, outcome or drill names a tier that is "
        "not on the protocol's 'tiers' scale (by default none, low, moderate, high, "
        "imminent). The message lists the scale.",
    )  # fmt: skip
    UNKNOWN_REFERRAL = CodeInfo(
        "CG112", _E,
        "a referral that is not a referral kind (or, once a directory is loaded, not an "
        "entry id)",
        "An outcome's referral must name a referral kind (emergency, crisis-line, inpatient, "
        "peer-support...) or the id of an entry in the referral directory. In a directory "
        "file, an entry's kind must be one of the kinds.",
    )  # fmt: skip
    DUPLICATE_ID = CodeInfo(
        "CG113", _E,
        "a protocol id used twice in the library, or an answer / checklist label used "
        "twice in one node",
        "Two protocols (or drills, or directory entries in one file) share an id, so a "
        "command could not tell which one you mean; or two answers or checklist items of "
        "one node share a label (compared without regard to case), so an answers file or a "
        "drill could not tell them apart. Rename one.",
    )  # fmt: skip
    NO_BASE = CodeInfo(
        "CG114", _E,
        "an overlay's `extends` names a protocol that is not in the library, or whose "
        "version is outside the range it asks for",
        "An overlay holds only what it changes, so it cannot be used without the protocol it "
        "extends. The base must be in the library: in an earlier layer when the overlay has "
        "the same id (it then overrides the base), anywhere when it has an id of its own. "
        "With extends: {id: ..., version: \">=2,<3\"} the base's version must be in that "
        "range, so that an overlay written for one version is not silently applied to a "
        "changed one. Overlays that extend each other in a circle are refused too.",
    )  # fmt: skip
    UNREACHABLE = CodeInfo(
        "CG120", _W,
        "a node that cannot be reached from `start`",
        "No path from 'start' leads to this node, so no walk will ever show it. Usually a "
        "'next' that points elsewhere by mistake; otherwise remove the node.",
    )  # fmt: skip
    NO_WAY_OUT = CodeInfo(
        "CG121", _E,
        "no outcome can be reached from a node (a dead end or a cycle with no exit; the "
        "message names the nodes it is stuck among), or routes loop back to themselves with "
        "nothing asked in between (a walk that enters the loop never ends)",
        "Every walk must end at an outcome. From this node no path leads to one: the flow "
        "is a dead end or goes round in a cycle with no exit, and the message names the "
        "nodes it is stuck among. Routes that lead back to themselves with no question in "
        "between are CG121 too, because routes change nothing and a walk that enters the "
        "loop would never end.",
    )  # fmt: skip
    URGENT_WITHOUT_HELP = CodeInfo(
        "CG130", _E,
        "an outcome in the top two tiers has neither an `emergency` nor a `crisis-line` "
        "referral",
        "Every urgent outcome (the top two tiers of the scale) must show how to reach "
        "emergency help: list 'emergency' and 'crisis-line' in its referrals (either kind, "
        "or a directory entry of either kind, satisfies the check; the built-in protocols "
        "list both).",
    )  # fmt: skip
    UNDER_TRIAGE = CodeInfo(
        "CG131", _W,
        "possible under-triage: some path reaches an outcome with an accumulated tier "
        "above the outcome's own tier; the message gives an example path",
        "Some walk reaches this outcome after its answers have raised the session's tier "
        "above the outcome's own tier, so the disposition would be lower than the risk "
        "recorded. The message gives an example path. The analysis follows routes on "
        "tier_at_least and tier_below exactly and treats conditions on flags and answers as "
        "unknown (both branches), so a warning can be a path that flags rule out; check it, "
        "and route on the tier if the outcome really is too low.",
    )  # fmt: skip
    NO_AVOID = CodeInfo(
        "CG132", _W,
        "a question without `avoid` guidance",
        "Every question should say what not to say and why (leading negatives such as "
        "'You're not thinking of..., are you?', 'why' questions, promises of secrecy, "
        "minimising): the avoid list is half of what a practitioner rehearses.",
    )  # fmt: skip
    STIGMATISING = CodeInfo(
        "CG133", _W,
        'stigmatising wording outside an `avoid` entry ("committed suicide", '
        '"successful/unsuccessful/failed attempt", "completed suicide"), located at the '
        "phrase",
        "Safe-messaging guidance asks for 'died by suicide' and 'suicide attempt' rather "
        "than 'committed suicide' (which frames suicide as a crime) or 'successful' and "
        "'failed' attempts (which frame death as success). Such phrasings may appear only "
        "inside an 'avoid' entry, as examples of what not to say. Each translation file is "
        "checked too, with its language's own list (Spanish: 'cometió/cometer suicidio', "
        "'suicidio exitoso/consumado/fallido', 'intento fallido/exitoso/frustrado'), at the "
        "line of the PO entry, so that a translation cannot bring back what the original "
        "avoids.",
    )  # fmt: skip
    NO_SOURCES = CodeInfo(
        "CG134", _W,
        "no `sources`",
        "A protocol should cite the published framework it follows, with a link, so that a "
        "reviewer can check it. The built-in library always does.",
    )  # fmt: skip
    NO_UNCLEAR_ANSWER = CodeInfo(
        "CG136", _W,
        "a question with a tier-raising answer has no `unclear` answer",
        "A person who declines, does not know or cannot answer a safety question must never "
        "be recorded as a 'no'. A question whose answers can raise the tier should offer an "
        "answer marked 'unclear: true' (\"Declines, doesn't know, or unclear\"), listed "
        "last in the walk, that raises the tier at least as far as a 'yes' and routes to "
        "further assessment. Silence is never 'no'.",
    )  # fmt: skip
    UNCLEAR_UNDER_TRIAGE = CodeInfo(
        "CG137", _E,
        "an `unclear` answer raises the tier less than the lowest tier another answer of "
        "its question raises",
        "An answer marked 'unclear: true' stands for a client who declines or cannot answer. "
        "It must raise the tier at least as far as the lowest tier that any other answer of "
        "the same question raises, so that not answering can never end lower than answering "
        "'yes' would have (the ASQ treats a refusal as a positive screen).",
    )  # fmt: skip
    UNKNOWN_FOLLOW_UP = CodeInfo(
        "CG140", _W,
        "`follow_up` names a protocol that is not in the library",
        "An outcome suggests a follow-up protocol that is not in the library as it is set "
        "up (built-in, CRISISGUIDE_PATH, the config file's folders, --protocols). Check the "
        "id, or add the folder that holds it.",
    )  # fmt: skip
    UNVERIFIED_ENTRY = CodeInfo(
        "CG150", _W,
        "a referral directory entry has no `source`, or a `last_verified` date over 365 "
        "days old or in the future",
        "Numbers and services change (the US lifeline moved to 988 in 2022; one of its "
        "options ended in 2025), so every directory entry should name the page where its "
        "details are published ('source') and the date they were last checked "
        "('last_verified'). Re-check an entry at least once a year. A date in the future "
        "is a typo that would hide the entry from this check, so it is reported too.",
    )  # fmt: skip

    UNTRANSLATED = CodeInfo(
        "CG160", _W,
        "a protocol string with no translation in one of its translation files",
        "A translation file (translations/LANG/ID.po next to the protocol) has no "
        "translation for a string of the protocol, or lacks the string altogether. The walk "
        "shows the original there, so a practitioner rehearsing in that language meets a "
        "sentence in another. Translate it in a PO editor; if the string is missing from the "
        "file, bring the file up to date first: crisisguide i18n update ID --lang LANG.",
    )  # fmt: skip
    FUZZY_TRANSLATION = CodeInfo(
        "CG161", _W,
        "a translation whose original changed since it was translated (fuzzy)",
        "The protocol's wording changed after the string was translated: the translation "
        "is marked fuzzy (i18n update does this, keeping the previous original as '#| "
        "msgid' so an editor shows what changed) or was written for an older original. "
        "Until it is checked, the walk shows the original. Compare, correct the "
        "translation, and remove the fuzzy mark (Poedit: 'Needs work' off).",
    )  # fmt: skip
    TRANSLATION_SHAPE = CodeInfo(
        "CG162", _E,
        "a translation whose placeholders or line structure differ from the original, or "
        "two labels of one step translated alike",
        "A translation must keep the original's placeholders ({name}, %s, %(name)s) and "
        "its number of lines, and the labels of one question or checklist must stay "
        "distinct, so that the practitioner can tell the answers apart. Such a "
        "translation is never shown (the original is); fix it in the PO file.",
    )  # fmt: skip

    @property
    def id(self) -> str:
        return self.value.id

    @property
    def severity(self) -> Severity:
        return self.value.severity

    @property
    def summary(self) -> str:
        return self.value.summary

    @property
    def explanation(self) -> str:
        return self.value.explanation

    @classmethod
    def find(cls, code_id: str) -> Code | None:
        """The code with id ``code_id`` (case-insensitive), or None."""
        wanted = code_id.strip().upper()
        return next((code for code in cls if code.id == wanted), None)
