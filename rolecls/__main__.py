from rolecls.cli import main

main()
