"""Questionnaires: the file format, loading with located errors, skip logic and answer checking."""

from survey.questionnaire.loader import Problem, QuestionnaireError, content_hash, load, parse
from survey.questionnaire.schema import NO_ANSWER, OTHER, Questionnaire

__all__ = ["NO_ANSWER", "OTHER", "Problem", "Questionnaire", "QuestionnaireError", "content_hash", "load", "parse"]
