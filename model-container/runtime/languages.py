"""Language codes Whisper knows (large-v3 order; v3 added "yue"). Used to reject typos early
with INVALID_OPTION instead of failing inside generate()."""

WHISPER_LANGUAGE_CODES = (
    "en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ur "
    "hr bg lt la mi ml cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr pa si "
    "km sn yo so af oc ka be tg sd gu am yi lo uz fo ht ps tk nn mt sa lb my bo tl mg as tt haw ln ha "
    "ba jw su yue"
).split()

SUPPORTED_LANGUAGES = frozenset(WHISPER_LANGUAGE_CODES)

# Scripts written without spaces between words: word timestamps split on every character group.
LANGUAGES_WITHOUT_SPACES = frozenset({"zh", "ja", "th", "lo", "my", "yue"})
