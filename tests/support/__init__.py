"""Helpers the tests share; test modules import helpers from here only, never from each other."""
