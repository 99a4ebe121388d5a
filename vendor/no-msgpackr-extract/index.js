// msgpackr requires this inside try/catch and uses pure JS when it throws.
throw new Error('msgpackr-extract is replaced by a stand-in; msgpackr uses its pure-JS path')
