-- Grain storage: room on each page for a row's next version, so an update can stay on its page (HOT) and
-- leave the key index alone. A task's row is rewritten at every move, and the statement that writes many
-- tasks at once keeps earlier versions alive a little longer than one-row writes did (its transaction
-- lasts a few milliseconds), so at fillfactor 100 a third of the updates had to move to another page.
-- Pages written from now on keep a quarter free; existing ones get the room as they are rewritten.
ALTER TABLE orleansstorage SET (fillfactor = 75);
