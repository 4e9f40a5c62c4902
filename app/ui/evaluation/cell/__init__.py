"""One cell's procedure: ``procedure`` (the step bar and the pages), ``steps`` (① preparation,
② self-review), ``meeting`` (③), ``votes`` (④ the vote grid, ⑤ the proposal) and
``tally_entry`` (two tellers). The pages reach the procedure only through ``host.CellHost``."""
