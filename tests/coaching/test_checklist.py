from app.events import Source
from app.services.coaching.checklist import Checklist
from app.services.coaching.text import normalize

from .helpers import item, utt

TOOLKIT = [
    item("budget", ["budget", "set aside"], kind="checklist", negative=["no idea about budget"]),
    item("timeline", ["timeline", "go live"], kind="checklist"),
    item("price", ["too expensive"], kind="objection"),
]


def observe(checklist: Checklist, text: str, source: Source, uid: str) -> list[str]:
    return checklist.observe(utt(text, 0, 1, source, uid=uid), normalize(text))


def test_only_checklist_entries_become_items() -> None:
    assert [row["name"] for row in Checklist(TOOLKIT).live()] == ["budget", "timeline"]


def test_rep_or_prospect_can_tick_an_item() -> None:
    checklist = Checklist(TOOLKIT)
    assert observe(checklist, "What budget have you got?", "rep", "u1") == ["budget"]
    assert observe(checklist, "We want to go live in May", "prospect", "u2") == ["timeline"]
    assert all(row["done"] for row in checklist.live())


def test_an_item_is_ticked_once_by_the_first_utterance_covering_it() -> None:
    checklist = Checklist(TOOLKIT)
    observe(checklist, "we set aside some money", "prospect", "u1")
    assert observe(checklist, "the budget is fixed", "prospect", "u2") == []
    stored = checklist.stored()[0]
    assert stored["utterance_id"] == "u1"
    assert stored["source"] == "prospect"


def test_negative_phrase_keeps_an_item_open() -> None:
    checklist = Checklist(TOOLKIT)
    assert observe(checklist, "I have no idea about budget", "prospect", "u1") == []
    assert not checklist.live()[0]["done"]
