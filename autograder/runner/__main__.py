"""``python -m RUNNER IN OUT`` serves one submission; ``python -m RUNNER zygote CONTROL``
forks one runner per submission (see :mod:`.serve` and :mod:`.zygote`)."""

import sys

from .serve import main
from .zygote import serve_forks

if sys.argv[1] == "zygote":
    serve_forks(int(sys.argv[2]))
else:
    main(int(sys.argv[1]), int(sys.argv[2]))
