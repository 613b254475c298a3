"""Rasa pipeline component for assistant/intent_model.py: an intent classifier for eight languages.

Chosen by measurement on tests/nlu_heldout (bench/nlu_eval.py): DIET on sparse features and Rasa's own
LogisticRegressionClassifier on raw counts scored 8-10 points lower than TF-IDF with a linear SVM, and DIET took
forty minutes to train; a multilingual sentence embedding beside the TF-IDF features added four points more.
The settings of the model itself are chosen by cross-validation on the training data (bench/nlu_crossval.py).
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.intent_model import DEFAULTS, VOCABULARY, WEIGHTS, IntentModel

log = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DEFAULTS, "ranking_length": 10}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[IntentModel] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TfidfIntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            log.debug("No intent examples: the classifier is left untrained.")
            return self._resource
        settings = {k: self.config[k] for k in DEFAULTS}
        self.model = IntentModel(settings).fit([e.get(TEXT) for e in examples], [e.get(INTENT) for e in examples])
        vocabulary, weights = self.model.dumps()
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY).write_text(vocabulary, encoding="utf-8")
            (directory / WEIGHTS).write_bytes(weights)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        for message, ranking in zip(messages, self.model.rank([m.get(TEXT) or "" for m in messages])):
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking[: self.config["ranking_length"]], add_to_output=True)
        return messages

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "TfidfIntentClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                model = IntentModel.loads((directory / VOCABULARY).read_text(encoding="utf-8"),
                                          (directory / WEIGHTS).read_bytes())
        except (ValueError, FileNotFoundError):
            log.debug("No trained intent classifier in the model: it will predict nothing.")
            model = None
        return cls(config, model_storage, resource, model)
