"""Hedge detection: which sentences are reported as fact, and which are speculation.

Sentence-level uncertainty detection in the sense of the CoNLL-2010 shared task:

* epistemic and doxastic hedges ("may", "probably", "is believed to", "seems");
* conditionals that make a claim speculative ("if", "unless", "whether");
* weasel attributions ("some experts argue", "it is said", "many believe").

Attribution alone is *not* a hedge: "..., say political consultants" reports what
was said, and reporting verbs (say, tell, according to) are never cues.

How it works, in three layers, all pure Python:

1. **Candidates.** Every word of a learned cue lexicon is a candidate cue: the words
   people marked as cues in the training data (at least once, and in at least 15% of
   their occurrences, counted per corpus so that a word that is a cue in news but rare
   among the five times more Wikipedia sentences still counts), plus a short hand list.
2. **Classifier.** A logistic regression scores each candidate from its word, stem and
   context: the neighbouring words and their shapes, the word classes of the
   neighbours (a cheap stand-in for part-of-speech tags: "would" + BE, "could" + an
   ``-ed`` form, a determiner before "expected"), negation nearby, a reporting verb
   before it, "if" earlier or later in the sentence, a question mark, capitalisation,
   and bags of the words further away ("Under the plan, holders would ..."). The
   context features are also keyed by the cue's groups (the modals together, the
   inflections of one stem, one word class), so that rare cue words borrow strength
   from their kin. The model is trained on Wikipedia and news together with
   feature-augmentation domain adaptation towards news (see
   ``bench/train_hedges.py``). Its weights ship in ``hedge_model.json`` in this
   package (about 220 KB, loaded lazily, plain Python at run time: no numpy). A
   sentence is hedged when one candidate scores above the model's threshold, or a
   rule below fires.
3. **Context rules** that the data is too small to learn reliably: "May" the month,
   "no doubt", factual past ability ("could see", "could not"), "possible" as a
   degree ("the fastest possible", "as soon as possible"), the modal perfect ("might
   have reiterated"), hearsay adverbs ("reportedly"), attribution verbs, and weasel
   attributions ("some analysts argue", "it is said").

Speed: a sentence is first checked with one compiled regex of every word that can
start a cue; only the few sentences with a hit are tokenised around their candidates
and scored. Scoring does not build the feature strings: each cue word's weights
(its own, its stem's, its groups') are folded once into per-slot lookup tables
(:meth:`HedgeModel.table`), and :func:`_context_score` adds up a dozen lookups; a
test checks it against the spelled-out features used in training.

Rebuild the weights with::

    python bench/train_hedges.py            # writes src/osce_brief/hedges/hedge_model.json

and measure them with ``python bench/eval_hedges.py`` (cross-validated F1: the
lexicon and the weights are learned from the training folds only; the threshold is a
fixed parameter, or tuned by an inner cross-validation on the training folds with
``--param inner=3``). Both read
the Szeged Uncertainty Corpus files in ``../shared/eval/hedge/``; training is pure
Python, takes seconds and is deterministic.

Modules: :mod:`.lexicon` (word lists), :mod:`.features` (tokens and context
features), :mod:`.model` (the classifier and its weights), :mod:`.cues` (cues of
a sentence: candidates, scores, rules) and :mod:`.report` (a document's report).
"""

from __future__ import annotations

from .cues import candidate_regex, candidates, find_cues, is_hedged
from .features import candidate_features, normalize, stem, tokenize
from .lexicon import HAND_LEXICON
from .model import MODEL_PATH, HedgeModel, default_model
from .report import PARALLEL_CHARS, HedgedSentence, HedgeReport, SectionHedges, analyze, hedged_predicate, rollup

__all__ = [
    "HAND_LEXICON", "MODEL_PATH", "PARALLEL_CHARS", "HedgeModel", "HedgeReport", "HedgedSentence", "SectionHedges",
    "analyze", "candidate_features", "candidate_regex", "candidates", "default_model", "find_cues",
    "hedged_predicate", "is_hedged", "normalize", "rollup", "stem", "tokenize",
]
