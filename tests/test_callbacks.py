"""Our spiders' callbacks checked once for what Scrapy stops checking on every response
(WARN_ON_GENERATOR_RETURN_VALUE is off in crawler/settings.py): a generator callback that returns a value."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from scrapy.utils.misc import is_generator_with_return_value

import spiders


def generator_methods():
    for module_info in pkgutil.walk_packages(spiders.__path__, "spiders."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for name, function in vars(cls).items():
                if inspect.isgeneratorfunction(function) or inspect.isasyncgenfunction(function):
                    yield f"{cls.__module__}.{cls.__qualname__}.{name}", function


def test_spider_callbacks_return_no_value_from_a_generator():
    found = dict(generator_methods())
    assert len(found) >= 10, "the walk found the spiders' generator callbacks"
    offenders = [name for name, function in found.items() if is_generator_with_return_value(function)]
    assert offenders == []


def test_the_check_catches_a_generator_that_returns_a_value():
    def parse(response):
        yield response
        return "lost"

    assert is_generator_with_return_value(parse)
