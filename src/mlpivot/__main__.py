from mlpivot.cli.app import main

main()
