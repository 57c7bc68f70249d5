"""The closed word lists of the knowledge base: skill categories, interests, evidence, levels.

Plain enums with no pydantic, so the command line can offer them in its help without loading
the catalog's models; `catalog.models` re-exports them beside the models that use them.
"""

from __future__ import annotations

from enum import StrEnum

LEVEL_NAMES = ("none", "familiar", "working", "strong")


class Category(StrEnum):
    MATHEMATICS = "mathematics"
    STATISTICS = "statistics"
    CLASSIC_ML = "classic-ml"
    DEEP_LEARNING = "deep-learning"
    ML_PRACTICE = "ml-practice"
    PROGRAMMING = "programming"
    LIBRARIES = "libraries"
    DATA_ENGINEERING = "data-engineering"
    SYSTEMS = "systems"
    MLOPS = "mlops"
    CLOUD = "cloud"
    LLM = "llm"
    PRODUCT = "product"
    COMMUNICATION = "communication"


CATEGORY_NAMES = {
    Category.MATHEMATICS: "Mathematics",
    Category.STATISTICS: "Statistics",
    Category.CLASSIC_ML: "Classic machine learning",
    Category.DEEP_LEARNING: "Deep learning",
    Category.ML_PRACTICE: "Working with data and models",
    Category.PROGRAMMING: "Programming",
    Category.LIBRARIES: "Libraries and frameworks",
    Category.DATA_ENGINEERING: "Data engineering",
    Category.SYSTEMS: "Systems",
    Category.MLOPS: "MLOps and deployment",
    Category.CLOUD: "Cloud",
    Category.LLM: "Large language models",
    Category.PRODUCT: "Product and industry",
    Category.COMMUNICATION: "Communication and people",
}
"""What each category is called on screen (the ids stay in files and --json)."""


class Interest(StrEnum):
    """What a person enjoys; roles say how much each one matters to them (0..1)."""

    BUILDING_PRODUCTS = "building-products"
    RESEARCH = "research"
    DATA_INSIGHTS = "data-insights"
    INFRASTRUCTURE = "infrastructure"
    DATA_PIPELINES = "data-pipelines"
    MODELLING = "modelling"
    LLM_APPLICATIONS = "llm-applications"
    PEOPLE_AND_PRODUCT = "people-and-product"
    MATHEMATICS = "mathematics"


class EvidenceKind(StrEnum):
    SELF = "self"
    RESUME = "resume"
    QUIZ = "quiz"
    PROJECT = "project"
    MENTOR = "mentor"
