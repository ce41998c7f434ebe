"""The check-in's advice matches the urgency of what was ticked: emergency care now, a
clinician today, or a physical therapist or doctor soon; and the red flags are asked."""

from __future__ import annotations

from mobility_coach.core.session.safety import EMERGENCY, QUESTIONS, TODAY, advice_for

BY_ID = {q.id: q for q in QUESTIONS}


def test_the_emergency_signs_ask_for_emergency_care_now_and_offer_no_start() -> None:
    for sign in ("bladder or bowel control", "numbness around the groin or bottom", "slurred speech"):
        question = next(q for q in QUESTIONS if sign in q.text)
        assert question.tier == "now"
        title, advice, may_go_on = advice_for([question, BY_ID["sharp"]])
        assert advice == EMERGENCY and "emergency" in title and not may_go_on


def test_fever_and_worsening_weakness_ask_for_a_clinician_today() -> None:
    question = next(q for q in QUESTIONS if "Fever with back pain" in q.text)
    assert question.tier == "today" and "weakness that is getting worse" in question.text
    title, advice, may_go_on = advice_for([question])
    assert advice == TODAY and "today" in title and not may_go_on


def test_the_rest_ask_for_a_physical_therapist_or_doctor_soon() -> None:
    _, advice, may_go_on = advice_for([BY_ID["sharp"], BY_ID["lasting"]])
    assert "soon" in advice and may_go_on


def test_the_red_flags_a_clinician_asks_about_are_asked() -> None:
    asked = " ".join(q.text for q in QUESTIONS)
    for flag in (
        "Weight loss you cannot explain",
        "history of cancer",
        "constant or night pain",
        "trouble passing urine",
        "symptoms in both legs",
        "unsteady walking",
        "chest pain or breathlessness with upper-back pain",
        "osteoporosis or long-term steroid use",
    ):
        assert flag.lower() in asked.lower(), flag


def test_ordinary_back_pain_is_not_sent_away_after_a_few_days() -> None:
    lasting = BY_ID["lasting"].text
    assert "few days" not in lasting and "weeks" in lasting and "getting worse" in lasting
