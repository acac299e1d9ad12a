"""The container speaks the same wire contract as the API: compare with the TypeScript source of
truth in libs/contracts so a change on either side fails here rather than in production."""
import re
from pathlib import Path

from app.errors import ERROR_CODES

CONTRACTS = Path(__file__).resolve().parents[2] / "libs" / "contracts" / "src" / "lib"


def _interface_fields(source: str, name: str) -> dict:
    body = re.search(r"export interface " + name + r"\s*\{(.*?)\n\}", source, re.S).group(1)
    body = re.sub(r"/\*\*.*?\*/", "", body, flags=re.S)
    return {m.group(1): m.group(2) == "?" for m in re.finditer(r"^\s*(\w+)(\??):", body, re.M)}


def test_error_codes_exist_in_the_typescript_contract_with_the_same_status():
    source = (CONTRACTS / "error-codes.ts").read_text()
    typescript = {m.group(1): int(m.group(2)) for m in re.finditer(r"(\w+):\s*\{\s*status:\s*(\d+)", source)}
    assert len(typescript) >= len(ERROR_CODES), "could not read error-codes.ts"
    ours = {code: status for code, (status, _) in ERROR_CODES.items()}
    assert ours == {code: typescript.get(code) for code in ours}


def test_result_fields_match_the_typescript_contract(client, audio_files):
    source = (CONTRACTS / "transcription-result.ts").read_text()
    result_fields = _interface_fields(source, "TranscriptionResult")
    segment_fields = _interface_fields(source, "TranscriptSegment")
    word_fields = _interface_fields(source, "TranscriptWord")
    body = client.post(
        "/invocations",
        content=audio_files["flac"].read_bytes(),
        headers={"X-Amzn-SageMaker-Custom-Attributes": "word_timestamps=true"},
    ).json()
    required = {name for name, optional in result_fields.items() if not optional}
    assert required <= set(body) <= set(result_fields)
    for segment in body["segments"]:
        assert {n for n, o in segment_fields.items() if not o} <= set(segment) <= set(segment_fields)
    for word in body["words"]:
        assert {n for n, o in word_fields.items() if not o} <= set(word) <= set(word_fields)


def test_languages_match_the_typescript_contract():
    from runtime.languages import WHISPER_LANGUAGE_CODES

    source = (CONTRACTS / "languages.ts").read_text()
    body = re.search(r"WHISPER_LANGUAGES[^=]*=\s*\{(.*?)\n\}", source, re.S).group(1)
    typescript = re.findall(r"^\s*'?(\w+)'?:\s*'", body, re.M)
    # Same codes in the same order: the order is the token order of the language tokens.
    assert typescript == list(WHISPER_LANGUAGE_CODES)
