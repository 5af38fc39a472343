import { createRoot } from 'react-dom/client';
import '../../shared/src/base.css';
import './repository.css';
import { RepositoryApp } from './app';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
createRoot(container).render(<RepositoryApp />);
