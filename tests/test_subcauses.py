"""Sub-causes: grouping similar items and keeping their ids from month to month."""

from __future__ import annotations

from pipelines.report.subcauses import SubCauseOptions, cluster, match

CALLBACK = [
    "They promised a callback within 24 hours and the callback never came.",
    "Still no callback. Third promise of a callback this week.",
    "Agent said someone would call me back today. Nobody called back.",
    "I requested a callback on Monday, it is Friday, no callback.",
    "Callback never came, again. Why offer a callback at all?",
    "The callback you promised never came and now my case is closed?",
    "no callback no email nothing. promised callback within 2 hours lol",
    "Was told to expect a callback from a supervisor. Never came.",
    "Callback promised twice, callback never came twice.",
    "they never call back. i asked for a callback 3 times",
]
HOLD = [
    "On hold for 55 minutes listening to the same hold music.",
    "Hold music for an hour, then the line went dead.",
    "52 minutes on hold. The hold music is burned into my brain.",
    "Over an hour on hold to change an address. Hold music on loop.",
    "I was on hold for 40 minutes before anyone picked up.",
    "Hold times on the billing line are ridiculous, 70 minutes on hold today.",
    "on hold on hold on hold. 1h10 of hold music",
    "Spent my whole lunch break on hold with your billing line.",
    "Hold music, then 'all our agents are busy', then more hold music.",
    "An hour on hold is not customer service.",
]
QUEUE = [
    "The queue at the branch was out the door, 45 people in the queue.",
    "Took a ticket at the branch, number 87, queue of two hours.",
    "Branch queue of an hour and only one counter open.",
    "Queued at the branch for 90 minutes to collect a SIM.",
    "The branch queue barely moved, one counter open for the whole queue.",
    "Ticket 112 at the branch, they were calling 60. Queue forever.",
    "Queue at the branch again, an hour standing in the queue.",
    "Two counters closed and a queue to the street at the branch.",
]

OPTIONS = SubCauseOptions(min_items=8, max_groups=3)


def _ids(prefix, texts):
    return [f"{prefix}{i}" for i in range(len(texts))]


def test_groups_follow_the_words_customers_use():
    texts = CALLBACK + HOLD
    ids = _ids("c", CALLBACK) + _ids("h", HOLD)
    groups = cluster("long_wait", "en", ids, texts, SubCauseOptions(min_items=8, max_groups=2))
    named = [g for g in groups if not g.various]
    assert len(named) == 2
    by_topic = {("callback" in g.label): g for g in named}
    assert set(by_topic) == {True, False} and "hold" in by_topic[False].label
    assert all(i.startswith("c") for i in by_topic[True].item_ids)
    assert sum(g.items for g in groups) == len(texts)  # every item is somewhere
    for g in named:
        assert 1 <= len(g.verbatim_ids) <= 3 and set(g.verbatim_ids) <= set(g.item_ids)


def test_few_items_make_one_group():
    groups = cluster("paid_contact", "fr", ["a", "b"], ["Appel surtaxé à 0,80 € la minute.", "Ligne payante !"])
    assert len(groups) == 1 and groups[0].items == 2


def test_ids_are_kept_from_month_to_month_and_new_groups_get_new_ids():
    october = cluster("long_wait", "en", _ids("c", CALLBACK) + _ids("h", HOLD), CALLBACK + HOLD,
                      SubCauseOptions(min_items=8, max_groups=2))
    gone = match(october, known={}, previous={})
    assert gone == [] and all(g.new for g in october)
    known = {g.subcause_id: {"label": g.label, "terms": g.terms} for g in october}
    previous = {g.subcause_id: {"items": g.items, "terms": g.terms} for g in october}
    hold_id = next(g.subcause_id for g in october if "hold" in g.label)
    callback_id = next(g.subcause_id for g in october if "callback" in g.label)

    # November: the hold complaints continue (in other words), the callbacks stop, branch queues appear.
    november_texts = HOLD[::-1] + QUEUE
    november = cluster("long_wait", "en", _ids("h", HOLD) + _ids("q", QUEUE), november_texts,
                       SubCauseOptions(min_items=8, max_groups=2))
    gone = match(november, known=known, previous=previous)
    by_label = {("queue" in g.label or "branch" in g.label): g for g in november if not g.various}
    assert by_label[False].subcause_id == hold_id and not by_label[False].new
    assert by_label[False].label == known[hold_id]["label"]  # the label stays stable too
    assert by_label[True].new and by_label[True].subcause_id not in known
    assert [g["subcause_id"] for g in gone] == [callback_id]


def test_hebrew_and_russian_texts_group_without_crashing():
    he = ["חיכיתי שעה על הקו עם המוזיקה", "שעה על הקו ואף נציג", "המוזיקה על הקו שעה שלמה",
          "הבטיחו לחזור אליי ולא חזרו", "אף אחד לא חזר אליי כמו שהבטיחו", "שלוש פעמים הבטיחו לחזור",
          "עוד שעה על הקו היום", "לא חזרו אליי כבר שבוע"]
    groups = cluster("long_wait", "he", _ids("he", he), he, OPTIONS)
    assert sum(g.items for g in groups) == len(he)
    ru = ["", "   ", "😡😡😡", "[URL]", "час на линии", "час висела на линии", "ждал ответа неделю", "ответа нет неделю"]
    groups = cluster("long_wait", "ru", _ids("ru", ru), ru, OPTIONS)
    assert sum(g.items for g in groups) == len(ru)
