from django.apps import AppConfig


class SampleAppConfig(AppConfig):
    name = "terrain.feed.tests.sample_app"
    label = "feed_sample_app"
