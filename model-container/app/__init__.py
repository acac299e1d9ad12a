"""HTTP layer: parses requests, dispatches to the runtime, formats results and errors."""
