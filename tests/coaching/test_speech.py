from app.services.coaching.speech import count_fillers, count_questions


def test_questions_are_counted_per_sentence() -> None:
    assert count_questions("What do you use? Do you like it? Great.") == 2


def test_question_without_question_mark_is_recognised_by_its_opener() -> None:
    assert count_questions("how do you handle that today") == 1
    assert count_questions("Walk me through your process.") == 1


def test_statement_is_not_a_question() -> None:
    assert count_questions("We help teams close deals.") == 0


def test_filler_words_and_phrases_are_counted() -> None:
    assert count_fillers("Um, so like, we basically, you know, kind of do it.") == 5


def test_meaningful_like_and_kind_of_are_not_fillers() -> None:
    assert count_fillers("I like it. It looks like a CRM. What kind of tool?") == 0


def test_do_you_know_is_a_question_not_a_filler() -> None:
    assert count_fillers("Do you know the budget?") == 0


def test_quotative_like_is_a_filler() -> None:
    assert count_fillers("And he was like, wow.") == 1
