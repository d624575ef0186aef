"""The archive's storage: records, originals, their history and journal, the writer's lock,
files written whole (staging), and the text kept beside the index."""
