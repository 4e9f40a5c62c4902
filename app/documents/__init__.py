"""PDF documents in the party-document format (HD 36-HD/VPTW). Each document module is a pure
function: plain data in, PDF bytes out."""
