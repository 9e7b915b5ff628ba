-- The storm guard counts a group's assistants (and their active events) in every signal batch that opens
-- events, and GET /assistants?group= filters on it: without an index each count scanned the whole registry.
CREATE INDEX assistant_group ON healing.assistant (assistant_group);
