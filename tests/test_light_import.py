"""The default path stays light: importing cxnlp and running the CLI's help never loads torch/transformers."""

import subprocess
import sys

HEAVY = ("torch", "transformers", "sklearn", "datasets")


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    import json

    return set(json.loads(out.strip().splitlines()[-1]))


def test_import_cxnlp_is_light():
    loaded = _modules_after("import cxnlp")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_cli_help_is_light():
    code = ("from cxnlp.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "try:\n    main(['classify', '--help'])\nexcept SystemExit:\n    pass")
    loaded = _modules_after(code)
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_classifying_with_the_default_model_never_loads_torch():
    # spaCy's thinc imports torch whenever it is installed, so spaCy must stay off this path too
    code = "import cxnlp\nprint(cxnlp.load().predict(['Jono oli pitkä ja virkailija tyly.'])[0].sentiment)"
    loaded = _modules_after(code)
    assert not loaded & {"torch", "transformers", "spacy", "thinc"}, loaded & {"torch", "transformers", "spacy", "thinc"}
