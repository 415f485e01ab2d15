from __future__ import annotations

from scripts.check_secrets import findings


def test_key_like_secrets_are_found_and_examples_are_not(tmp_path):
    leaky = tmp_path / "settings.py"
    leaky.write_text('ANTHROPIC_API_KEY = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345"\n')
    clean = tmp_path / "example.env"
    clean.write_text("SECRET_KEY=change-me-to-64-random-characters\n# DEEPGRAM_API_KEY=\n")
    assert findings(leaky) and findings(leaky)[0].endswith("Anthropic key")
    assert findings(clean) == []
